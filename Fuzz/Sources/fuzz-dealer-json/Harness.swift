import FuzzSupport

/// Dealer systems' stock snapshots, sell-through and tier-2 orders (JSON), through the adapter's mapping with its catalogue check; the first byte picks the topic.
let harness = MappingHarness(named: "dealer")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    harness.run(FuzzInput.bytes(data, size))
    return 0
}

@_cdecl("fuzz_dealer_json_main")
public func start(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.run(argc, argv, fuzz)
}
