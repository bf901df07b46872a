/// Hard bounds on any input from outside, checked while parsing, before anything is used.
public struct InputLimits: Sendable, Equatable {
    /// Largest message accepted, in bytes.
    public var maxMessageBytes: Int
    /// Longest string, in Unicode scalars (schemas set tighter bounds per field).
    public var maxStringLength: Int
    /// Most items in one array.
    public var maxArrayCount: Int
    /// Most members in one object.
    public var maxObjectMembers: Int
    /// Deepest nesting of arrays and objects.
    public var maxDepth: Int

    public init(maxMessageBytes: Int = 1 << 20, maxStringLength: Int = 65_536, maxArrayCount: Int = 100_000, maxObjectMembers: Int = 1_000, maxDepth: Int = 32) {
        self.maxMessageBytes = maxMessageBytes
        self.maxStringLength = maxStringLength
        self.maxArrayCount = maxArrayCount
        self.maxObjectMembers = maxObjectMembers
        self.maxDepth = maxDepth
    }

    /// The bounds for one canonical event or native JSON document: 1 MiB, 64 Ki characters per string.
    public static let standard = InputLimits()
}
