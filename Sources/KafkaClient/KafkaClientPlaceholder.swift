// Placeholder until the module lands.
enum KafkaClientPlaceholder {}
