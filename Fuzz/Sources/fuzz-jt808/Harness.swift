import Adapters
import FuzzSupport
import WireFormats

/// JT/T 808: the frame decoder (escaping, check code, 2013 and 2019 headers), the location and
/// batch decoders, and the adapter's mapping with multi-package reassembly: the input is split at
/// its 0x7E flags into frames fed in order to one reassembly state.
let mapping = JT808Mapping(registry: TerminalRegistry(["13912345678": "V-1", "13800001111": "V-2"]))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzInput.bytes(data, size)
    if let frame = try? JT808Frame.decode(bytes) {
        _ = try? JT808Location.decode(frame.body)
        _ = try? JT808Location.decodeBatch(frame.body)
    }
    var pending = PendingInputs()
    var offset: Int64 = 0
    var start = 0
    for (index, byte) in bytes.enumerated() where byte == 0x7E && index > start {
        // A frame runs from a flag to the next one.
        let frame = Array(bytes[start...index])
        var record = FuzzInput.record("carrier.in.jt808", frame)
        record.offset = offset
        offset += 1
        _ = mapping.map(record, pending: &pending)
        start = index + 1
    }
    _ = mapping.map(FuzzInput.record("carrier.in.jt808", bytes))
    return 0
}

@_cdecl("fuzz_jt808_main")
public func start(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.run(argc, argv, fuzz)
}
