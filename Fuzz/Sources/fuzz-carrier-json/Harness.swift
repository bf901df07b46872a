import Adapters
import FuzzSupport

/// Carriers' JSON shipment events and positions, through the carrier adapter's mapping.
let mapping = CarrierEventsMapping(catalogue: FuzzInput.catalogue)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = mapping.map(FuzzInput.record("carrier.in.shipment-events", FuzzInput.bytes(data, size)))
    return 0
}

@_cdecl("fuzz_carrier_json_main")
public func start(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzInput.run(argc, argv, fuzz)
}
