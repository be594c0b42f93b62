// Placeholder until the driver lands.
enum ChatTUICursesPlaceholder {}
