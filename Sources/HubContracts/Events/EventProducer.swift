/// The `source` an event's producer writes, where a rule depends on who produced it.
public enum EventProducer {
    /// The carrier adapter: what a carrier reported (its platform, its API upload, its terminals).
    public static let carrierAdapter = "adapter-carrier"
}
