import Adapters
import FuzzSupport

/// Dealer systems' stock snapshots, sell-through and tier-2 orders (JSON), through the dealer
/// adapter's mapping with its catalogue check; the first byte picks the topic.
let mapping = HubAdapters.mapping(named: "dealer", catalogue: FuzzInput.catalogue)
let topics = (mapping?.inputTopics ?? []).sorted()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let mapping, let (topic, value) = FuzzInput.pick(FuzzInput.bytes(data, size), from: topics) else { return 0 }
    _ = mapping.map(FuzzInput.record(topic, value))
    return 0
}

@_cdecl("fuzz_dealer_json_main")
public func start(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.run(argc, argv, fuzz)
}
