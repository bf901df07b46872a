import FuzzSupport
import WireFormats

/// RFC 4180 CSV: the reader the ABS batches and the simulator's files go through.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = try? CSVRows.parse(FuzzInput.bytes(data, size))
    return 0
}

@_cdecl("fuzz_csv_main")
public func start(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.run(argc, argv, fuzz)
}
