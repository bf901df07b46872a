import HubServer
import Logging
import Testing

@Suite("log level from LUBEHUB_LOG_LEVEL")
struct LogSetupTests {
    @Test("unset or empty is info; a level's name in any case is that level")
    func levels() throws {
        #expect(try LogSetup.level(from: nil) == .info)
        #expect(try LogSetup.level(from: "") == .info)
        #expect(try LogSetup.level(from: "debug") == .debug)
        #expect(try LogSetup.level(from: "WARNING") == .warning)
        #expect(try LogSetup.level(from: "trace") == .trace)
    }

    @Test("anything else is refused, naming the variable and the levels there are")
    func refused() {
        #expect {
            try LogSetup.level(from: "verbose")
        } throws: { error in
            let text = "\(error)"
            return text.contains("LUBEHUB_LOG_LEVEL=verbose") && text.contains("trace, debug, info")
        }
    }
}
