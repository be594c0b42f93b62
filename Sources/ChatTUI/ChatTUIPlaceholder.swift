// Placeholder until the module lands.
enum ChatTUIPlaceholder {}
