import FuzzSupport
import HubContracts

/// The JSON parser and the JSON Schema validator, against the catalogue's schema of a JSON topic
/// the first byte picks; and the canonical event decoder.
let topics = FuzzInput.topics(format: "json")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzInput.bytes(data, size)
    if let (topic, value) = FuzzInput.pick(bytes, from: topics) {
        _ = FuzzInput.catalogue.validate(topic: topic, value: value)
        _ = try? CanonicalEvent.decode(value)
    }
    _ = try? JSONParser.parse(bytes)
    return 0
}

@_cdecl("fuzz_json_schema_main")
public func start(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.run(argc, argv, fuzz)
}
