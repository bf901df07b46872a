import ArgumentParser
import HubCommandLine
import HubGateway
import HubServer
import Kafka
import Logging

/// `lubehub gateway jt808`: the gateway trucks' terminals connect to, alone (`lubehub serve` runs
/// the same on `gateway.jt808.port`). Several instances may run behind one address: they share
/// the terminals' credentials through `hub.terminal-credentials`.
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway", abstract: "Run a gateway devices connect to.", subcommands: [GatewayJT808Command.self]
    )
}

struct GatewayJT808Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jt808",
        abstract: "Run the JT/T 808 gateway until SIGINT/SIGTERM: terminals register (0x0100), authenticate (0x0102), send heartbeats and positions; a position is acknowledged (0x8001) only after the broker took it."
    )

    @Option(help: "The TCP port (default 6808; 0 takes a free one).") var port = JT808GatewayLimits().port
    @Option(help: "The address to listen on: 127.0.0.1 (default), 0.0.0.0 where trucks connect from outside.") var host = JT808GatewayLimits().host
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "The heartbeat interval the terminals are configured with, in seconds; a connection silent for three of them is closed.")
    var heartbeatSeconds = JT808GatewayLimits().heartbeatSeconds
    @Option(help: "Put before every topic the gateway reads and writes (a test's own topics).") var topicPrefix = ""

    func run() async throws {
        try LogSetup.bootstrap()
        let metrics = PrometheusExport()
        metrics.bootstrap()
        let logger = Logger(label: "lubehub.gateway.jt808")
        var limits = JT808GatewayLimits()
        limits.port = port
        limits.host = host
        guard heartbeatSeconds > 0 else { throw ValidationError("--heartbeat-seconds must be above 0") }
        limits.heartbeatSeconds = heartbeatSeconds
        let client = KafkaClientConfiguration(bootstrapServers: connection.bootstrapServers, clientID: "lubehub-gateway-jt808")
        let gateway = JT808Gateway(limits: limits, client: client, topics: JT808Gateway.Topics(prefix: topicPrefix), logger: logger)
        try await HubAssembly.run([gateway], logger: logger)
    }
}
