import Adapters
import FuzzSupport

/// The quick-lube ABS system's service records (JSON) and batches (CSV), through the ABS
/// adapter's mapping with its catalogue check; the first byte picks the topic.
let mapping = HubAdapters.mapping(named: "abs", catalogue: FuzzInput.catalogue)
let topics = (mapping?.inputTopics ?? []).sorted()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let mapping, let (topic, value) = FuzzInput.pick(FuzzInput.bytes(data, size), from: topics) else { return 0 }
    _ = mapping.map(FuzzInput.record(topic, value))
    return 0
}

@_cdecl("fuzz_abs_main")
public func start(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.run(argc, argv, fuzz)
}
