import Foundation
import Testing

/// `scripts/test.sh` sets KCHAT_REQUIRE_POSTGRES=1 and runs the tests through
/// `scripts/with-postgres.sh`: then the PostgreSQL backend must really be there, so the store
/// tests cannot silently run on SQLite alone.
@Test func postgresIsPresentWhenRequired() {
    let environment = ProcessInfo.processInfo.environment
    guard environment["KCHAT_REQUIRE_POSTGRES"] == "1" else { return }
    #expect(environment[StoreBackend.postgresURLVariable]?.hasPrefix("postgres") == true)
    #expect(StoreBackend.all.count == 2)
}
