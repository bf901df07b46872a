internal import CRdKafka

/// Facts about the librdkafka this process runs against, and the guard that refuses an old one.
public enum KafkaLibrary {
    /// librdkafka releases before 2.1.2 skip tagged protocol fields wrongly and fail their first
    /// request to a modern broker (`ApiVersionRequest failed: Local: Read underflow`).
    public static let minimumVersion = (major: 2, minor: 1, patch: 2)

    /// The version string librdkafka reports, e.g. `2.8.0`.
    public static var versionString: String { String(cString: rd_kafka_version_str()) }

    /// The version as librdkafka's packed integer (`0xMMmmrrpp`).
    public static var versionNumber: Int32 { rd_kafka_version() }

    /// Throws ``KafkaError/Code/unsupportedLibrary`` when the running librdkafka is older than
    /// ``minimumVersion``. Every client constructor calls it.
    public static func checkVersion() throws(KafkaError) {
        try check(versionNumber: versionNumber, versionString: versionString)
    }

    /// The decision of ``checkVersion()`` for a given version, separated so it can be tested.
    static func check(versionNumber: Int32, versionString: String) throws(KafkaError) {
        let (major, minor, patch) = minimumVersion
        let minimum = Int32(major << 24 | minor << 16 | patch << 8)
        guard versionNumber >= minimum else {
            throw KafkaError(
                code: .unsupportedLibrary,
                message: "librdkafka \(versionString) is too old: versions before \(major).\(minor).\(patch) "
                    + "mis-parse tagged protocol fields and cannot talk to a modern broker. "
                    + "Run scripts/bootstrap, which builds librdkafka 2.8.0 into /usr/local, "
                    + "and make sure the dynamic linker finds it first (ldconfig)."
            )
        }
    }
}
