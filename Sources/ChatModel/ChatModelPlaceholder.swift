// Placeholder until the module lands.
enum ChatModelPlaceholder {}
