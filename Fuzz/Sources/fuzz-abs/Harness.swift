import FuzzSupport

/// The quick-lube ABS system's service records (JSON) and batches (CSV), through the adapter's mapping with its catalogue check; the first byte picks the topic.
let harness = MappingHarness(named: "abs")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    harness.run(FuzzInput.bytes(data, size))
    return 0
}

@_cdecl("fuzz_abs_main")
public func start(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.run(argc, argv, fuzz)
}
