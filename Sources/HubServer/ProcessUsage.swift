import Foundation

/// The CPU time and peak memory of a process on this machine, from Linux's `/proc` (another
/// process) or `getrusage` (this one): what a benchmark reports beside its latencies, so a figure
/// says what it cost and who else on the machine took the CPU.
public struct ProcessUsage: Sendable, Equatable {
    /// User plus system CPU time so far.
    public var cpuSeconds: Double
    /// The most resident memory the process has had (VmHWM; ru_maxrss for this one), in bytes.
    public var peakResidentBytes: Int64

    public init(cpuSeconds: Double, peakResidentBytes: Int64) {
        self.cpuSeconds = cpuSeconds
        self.peakResidentBytes = peakResidentBytes
    }

    /// This process.
    public static func current() -> ProcessUsage {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return ProcessUsage(cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime), peakResidentBytes: Int64(usage.ru_maxrss) * 1024)
    }

    /// Another process; `nil` when it is gone or `/proc` cannot be read.
    public static func of(pid: Int32) -> ProcessUsage? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        return parse(stat: stat, status: status, ticksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK))))
    }

    /// Reads `/proc/PID/stat` (utime and stime, fields 14 and 15, in clock ticks; the command
    /// name in field 2 may hold spaces and parentheses, so fields are counted after its last `)`)
    /// and `/proc/PID/status` (`VmHWM:  1234 kB`).
    public static func parse(stat: String, status: String, ticksPerSecond: Double) -> ProcessUsage? {
        guard let nameEnd = stat.lastIndex(of: ")"), ticksPerSecond > 0 else { return nil }
        // After the name: field 3 (state) first, so utime (14) and stime (15) are the 12th and 13th.
        let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
            .flatMap { line in line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Int64($0) } }
        return ProcessUsage(cpuSeconds: (user + system) / ticksPerSecond, peakResidentBytes: (peak ?? 0) * 1024)
    }
}
