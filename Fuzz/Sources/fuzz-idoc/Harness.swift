import Adapters
import FuzzSupport
import WireFormats

/// SAP IDoc-XML: the reader (its DTD, entity and encoding refusals, its text caps, libxml2 under
/// it) and the ERP adapter's mapping of each IDoc topic; the first byte picks the topic.
let mapping = ErpMapping()
let topics = FuzzInput.topics(format: "idoc-xml").filter { $0.hasPrefix("erp.in.") }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = FuzzInput.bytes(data, size)
    _ = try? IDocDocument.parse(bytes)
    if let (topic, value) = FuzzInput.pick(bytes, from: topics) { _ = mapping.map(FuzzInput.record(topic, value)) }
    return 0
}

@_cdecl("fuzz_idoc_main")
public func start(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.run(argc, argv, fuzz)
}
