// Placeholder until the module lands.
enum ProfanityFilterPlaceholder {}
