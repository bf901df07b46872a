import Foundation
import HubContracts
@_spi(SQL) import HubStore
@_spi(SQL) import StoreTestSupport
import Testing

@Suite("accounts in the store, on SQLite and on PostgreSQL")
struct AccountStoreTests {
    static let admin = ChangeActor(id: "U-ADMIN", source: "test")
    static let now = Timestamp(parsing: "2026-12-03T08:00:00Z")!

    static func user(_ login: String, role: String = "dealer", dealer: String? = "D1") -> UserRecord {
        UserRecord(userId: "U-" + login.uppercased(), login: login, displayName: "用户 \(login)", role: role, dealerId: dealer)
    }

    @Test("a login is unique whatever its case; a change names the version it read; each write leaves one audit row and one hub.audit event",
          arguments: StoreKind.allCases)
    func usersAndAudit(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let store = try AccountStore(database.location)
        let created = try await store.create(Self.user("Zhang"), passwordHash: "$scrypt$x", by: Self.admin, now: Self.now).get()
        #expect(created.login == "zhang" && created.version == 1 && created.createdAt == Self.now.text)
        #expect(try await store.create(Self.user("ZHANG"), passwordHash: "h", by: Self.admin, now: Self.now) == .failure(.loginTaken("zhang")))
        #expect(try await store.credential(login: "ZHANG")?.passwordHash == "$scrypt$x")

        let renamed = try await store.update(userId: created.userId, expectedVersion: 1, action: "user.changed", by: Self.admin, now: Self.now) { $0.displayName = "张伟" }
        #expect(try renamed.get().version == 2 && renamed.get().displayName == "张伟")
        let stale = try await store.update(userId: created.userId, expectedVersion: 1, action: "user.changed", by: Self.admin, now: Self.now) { $0.displayName = "x" }
        #expect(stale == .failure(.stale(expected: 1, current: 2)))
        #expect(try await store.update(userId: "U-NOBODY", expectedVersion: nil, action: "user.changed", by: Self.admin, now: Self.now) { _ in } == .failure(.notFound))

        let entries = try await store.audit(kind: "user", id: created.userId)
        #expect(entries.map(\.action) == ["user.changed", "user.created"])
        #expect(entries.first?.before?["displayName"] == "用户 Zhang" && entries.first?.after?["displayName"] == "张伟")
        #expect(entries.allSatisfy { $0.after?.values.contains("$scrypt$x") == false }, "no hash in the audit")
        let events = try database.location.read { db throws(StoreError) in
            try db.query("SELECT event_id, value FROM outbox WHERE topic = ? ORDER BY seq", .text(TopicName.audit))
        }
        #expect(events.map { $0.string(0) } == entries.reversed().map(\.eventId))
        let decoded = try CanonicalEvent.decode(events.first?.blob(1) ?? [])
        #expect(decoded.data.payload(as: AuditRecorded.self)?.action == "user.created" && decoded.subject == "user:\(created.userId)")
    }

    @Test("a dealer's people signing in count as its activity, by day in China; staff do not", arguments: StoreKind.allCases)
    func dealerSignIns(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let store = try AccountStore(database.location)
        let dealerUser = try await store.create(Self.user("wang"), passwordHash: "h", by: Self.admin, now: Self.now).get()
        let staffUser = try await store.create(Self.user("zhao", role: "branch-manager", dealer: nil), passwordHash: "h", by: Self.admin, now: Self.now).get()
        // 2026-12-01 15:30 UTC is 23:30 in China; 17:00 UTC is already 2 December there.
        let evening = Timestamp(parsing: "2026-12-01T15:30:00Z")!.milliseconds, night = Timestamp(parsing: "2026-12-01T17:00:00Z")!.milliseconds
        for (index, at) in [evening, evening, night].enumerated() {
            try await store.startSession(digest: "d\(index)", userId: dealerUser.userId, csrfToken: "c", address: nil, now: at, expires: at + 60_000)
        }
        try await store.startSession(digest: "staff", userId: staffUser.userId, csrfToken: "c", address: nil, now: evening, expires: evening + 60_000)
        let rows = try database.location.open().query("SELECT dealer_id, day, sign_ins FROM dealer_sign_ins ORDER BY day")
        #expect(rows.map { "\($0.string(0) ?? "") \($0.string(1) ?? "") \($0.int64(2))" } == ["D1 2026-12-01 2", "D1 2026-12-02 1"])
    }

    @Test("sessions: found only while live and their user active; disabling, a password change and deleting end them", arguments: StoreKind.allCases)
    func sessions(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let store = try AccountStore(database.location)
        let user = try await store.create(Self.user("li"), passwordHash: "h", by: Self.admin, now: Self.now).get()
        try await store.startSession(digest: "s1", userId: user.userId, csrfToken: "c1", address: "10.0.0.1", now: 1_000, expires: 10_000)
        try await store.startSession(digest: "s2", userId: user.userId, csrfToken: "c2", address: nil, now: 1_000, expires: 10_000)
        #expect(try await store.session(digest: "s1", now: 5_000)?.csrfToken == "c1")
        #expect(try await store.session(digest: "s1", now: 10_000) == nil, "expired")
        #expect(try await store.session(digest: "nope", now: 5_000) == nil)
        try await store.startSession(digest: "old", userId: user.userId, csrfToken: "c0", address: nil, now: 1_000, expires: 4_000)
        #expect(try await store.sweep(now: 5_000, failuresBefore: 0).sessions == 1, "the sweep deletes the expired session, and only it")

        _ = try await store.setPassword(userId: user.userId, hash: "h2", mustChange: false, action: "user.password-changed", by: Self.admin, now: Self.now,
                                        sessions: .end(keeping: "s2"))
        #expect(try await store.session(digest: "s1", now: 5_000) == nil, "a password change ends the other sessions")
        #expect(try await store.session(digest: "s2", now: 5_000) != nil, "but not the one that changed it")
        _ = try await store.setPassword(userId: user.userId, hash: "h2-renewed", mustChange: false, action: "user.password-rehashed", by: Self.admin, now: Self.now,
                                        sessions: .stay)
        #expect(try await store.session(digest: "s2", now: 5_000) != nil, "a renewed hash of the same password ends no session")

        _ = try await store.update(userId: user.userId, expectedVersion: nil, action: "user.disabled", by: Self.admin, now: Self.now) { $0.status = .disabled }
        #expect(try await store.session(digest: "s2", now: 5_000) == nil, "disabling ends every session")

        try await store.startSession(digest: "s3", userId: user.userId, csrfToken: "c3", address: nil, now: 1_000, expires: 10_000)
        #expect(try await store.session(digest: "s3", now: 5_000) == nil, "a disabled user's session is not found")
        #expect(try await store.delete(userId: user.userId, expectedVersion: 1, by: Self.admin, now: Self.now) == .failure(.stale(expected: 1, current: 4)))
        #expect(try await store.delete(userId: user.userId, expectedVersion: 4, by: Self.admin, now: Self.now).get().userId == user.userId)
        #expect(try await store.user(id: user.userId) == nil)
        #expect(try await store.sweep(now: 20_000, failuresBefore: 0).sessions == 0, "deleting the user deleted its sessions")
    }

    @Test("failed sign-ins count per subject and clear", arguments: StoreKind.allCases)
    func failures(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        let store = try AccountStore(database.location)
        try await store.recordSignInFailure(["login:a", "address:1.2.3.4"], now: 100)
        try await store.recordSignInFailure(["login:a"], now: 200)
        let found = try await store.signInFailures(["login:a", "address:1.2.3.4", "login:b"])
        #expect(found["login:a"] == SignInFailures(count: 2, lastAtMilliseconds: 200) && found["address:1.2.3.4"]?.count == 1 && found["login:b"] == nil)
        try await store.clearSignInFailures("login:a")
        #expect(try await store.signInFailures(["login:a"]).isEmpty)
        #expect(try await store.sweep(now: 300, failuresBefore: 100).failures == 0, "a count last added to at the cut is kept")
        #expect(try await store.sweep(now: 300, failuresBefore: 101).failures == 1)
        #expect(try await store.signInFailures(["address:1.2.3.4"]).isEmpty)
    }

    @Test("listing: a branch manager's reach is its reps and its dealers' users; text matches login or name", arguments: StoreKind.allCases)
    func listing(kind: StoreKind) async throws {
        let database = try TestDatabase(kind)
        try database.location.read { db throws(StoreError) in
            for (dealer, branch) in [("D1", "BR-EAST"), ("D3", "BR-NORTH")] {
                try db.execute("""
                    INSERT INTO dealers (dealer_id, name, tier, branch_id, province, status, credit_limit, currency) VALUES (?, ?, 'tier1', ?, '上海', 'active', '0', 'CNY')
                    """, .text(dealer), .text(dealer), .text(branch))
            }
        }
        let store = try AccountStore(database.location)
        for user in [Self.user("east.dealer", dealer: "D1"), Self.user("north.dealer", dealer: "D3"),
                     UserRecord(userId: "U-R-E", login: "east.rep", displayName: "华东销售", role: "sales-rep", branchId: "BR-EAST", salesRepId: "R1"),
                     UserRecord(userId: "U-R-N", login: "north.rep", displayName: "华北销售", role: "sales-rep", branchId: "BR-NORTH", salesRepId: "R2")] {
            _ = try await store.create(user, passwordHash: "h", by: Self.admin, now: Self.now).get()
        }
        let east = try await store.users(UserFilter(reachOfBranch: "BR-EAST"))
        #expect(east.users.map(\.login) == ["east.dealer", "east.rep"] && east.total == 2)
        #expect(try await store.users(UserFilter(text: "华北")).users.map(\.login) == ["north.rep"])
        #expect(try await store.users(UserFilter(text: "REP")).users.map(\.login) == ["east.rep", "north.rep"])
        let page = try await store.users(UserFilter(limit: 1, offset: 1))
        #expect(page.users.map(\.login) == ["east.rep"] && page.total == 4)
    }
}
