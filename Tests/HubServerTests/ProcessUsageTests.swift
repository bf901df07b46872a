import Foundation
import HubServer
import Testing

@Suite("a process's CPU time and peak memory")
struct ProcessUsageTests {
    @Test("utime and stime are counted after the command name, however odd the name")
    func statFields() throws {
        // A command name may hold spaces and parentheses: fields are counted after its last ')'.
        let stat = "4242 (lube (hub) 2) S 1 4242 4242 0 -1 4194304 5000 0 0 0 1250 375 0 0 20 0 60 0 204453 3133440 359 18446744073709551615 0"
        let status = "Name:\tlube (hub) 2\nVmPeak:\t 2100000 kB\nVmHWM:\t   90224 kB\nVmRSS:\t   80000 kB\n"
        let usage = try #require(ProcessUsage.parse(stat: stat, status: status, ticksPerSecond: 100))
        #expect(usage.cpuSeconds == 16.25)
        #expect(usage.peakResidentBytes == 90224 * 1024)
    }

    @Test("a stat line cut short, or without a command name, is not read")
    func malformedStat() {
        #expect(ProcessUsage.parse(stat: "4242 (hub) S 1 4242", status: "", ticksPerSecond: 100) == nil)
        #expect(ProcessUsage.parse(stat: "4242 hub S 1 2 3 4 5 6 7 8 9 10 11 12 13 14", status: "", ticksPerSecond: 100) == nil)
    }

    @Test("this process read through /proc grows with the work it does, and agrees with getrusage")
    func liveProcess() throws {
        let before = try #require(ProcessUsage.of(pid: getpid()))
        // Work until the kernel's tick-based count moves (it counts in 10 ms ticks), for 5 s at most.
        var sum = 0.0
        var after = before
        let deadline = ContinuousClock.now + .seconds(5)
        while after.cpuSeconds <= before.cpuSeconds, ContinuousClock.now < deadline {
            for value in 0..<200_000 { sum += Double(value).squareRoot() }
            after = try #require(ProcessUsage.of(pid: getpid()))
        }
        #expect(sum > 0)
        #expect(after.cpuSeconds > before.cpuSeconds, "5 s of work did not move the CPU time read from /proc")
        #expect(after.peakResidentBytes > 1 << 20, "a Swift test process holds more than a MiB")
        let own = ProcessUsage.current()
        #expect(abs(own.cpuSeconds - after.cpuSeconds) < 1, "getrusage and /proc disagree: \(own.cpuSeconds) vs \(after.cpuSeconds)")
        #expect(ProcessUsage.of(pid: Int32.max) == nil)
    }
}
