// swift-tools-version: 6.1
//
// Spool: an embeddable, durable log storage engine with consumer groups.
//
// Layers (dependencies point down only; see docs/architecture.md):
//
//   spool (CLI) ─┐   spool-bench
//                ▼        │
//              Spool  (the only public API surface)
//              │    └────────────────┐
//              ▼                     ▼
//       GroupCoordinator          LogStorage
//              │                     │
//              ▼                     ▼
//       MetadataStore             FileIO      (the one syscall seam)
//              │                     │
//              ▼                     ▼
//           CSQLite             CSpoolShims   (CRC-32C, fdatasync, flock)
import PackageDescription

let package = Package(
    name: "spool",
    products: [
        .library(name: "Spool", targets: ["Spool"]),
        .executable(name: "spool", targets: ["SpoolCLI"]),
        .executable(name: "spool-bench", targets: ["SpoolBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        // MARK: C shims
        .target(name: "CSpoolShims"),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),

        // MARK: Build tooling: Migrations/*.sql compiled into MetadataStore
        .executableTarget(name: "EmbedMigrations"),
        .plugin(
            name: "EmbedMigrationsPlugin",
            capability: .buildTool(),
            dependencies: ["EmbedMigrations"]
        ),

        // MARK: Storage side
        .target(
            name: "FileIO",
            dependencies: ["CSpoolShims"]
        ),
        .target(
            name: "LogStorage",
            dependencies: [
                "FileIO", "CSpoolShims",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Metadata side
        .target(
            name: "MetadataStore",
            dependencies: [
                "CSQLite",
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: ["EmbedMigrationsPlugin"]
        ),
        .target(
            name: "GroupCoordinator",
            dependencies: [
                "MetadataStore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Public API, CLI, benchmark
        .target(
            name: "Spool",
            dependencies: [
                "LogStorage", "GroupCoordinator", "MetadataStore", "FileIO",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "SpoolCLI",
            dependencies: [
                "Spool", "LogStorage", "FileIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "SpoolBench",
            dependencies: [
                "Spool", "LogStorage", "FileIO", "MetadataStore", "GroupCoordinator", "CSQLite",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/SpoolBench"
        ),

        // MARK: Test support (not a product)
        .target(
            name: "SpoolTestSupport",
            dependencies: ["FileIO", "LogStorage", "GroupCoordinator"]
        ),
        // A child process the kill -9 test (SpoolTests) runs and kills; found
        // next to the test binary, so SpoolTests does not depend on it.
        .executableTarget(name: "SpoolCrashHelper", dependencies: ["Spool"]),

        // MARK: Tests
        .testTarget(name: "FileIOTests", dependencies: ["FileIO", "SpoolTestSupport"]),
        .testTarget(name: "LogStorageTests", dependencies: ["LogStorage", "FileIO", "SpoolTestSupport", "CSpoolShims"]),
        .testTarget(
            name: "MetadataStoreTests",
            dependencies: [
                "MetadataStore", "CSQLite", "SpoolTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "GroupCoordinatorTests", dependencies: ["GroupCoordinator", "MetadataStore", "SpoolTestSupport"]),
        .testTarget(name: "SpoolTests", dependencies: ["Spool", "SpoolTestSupport", "LogStorage", "FileIO"]),
        .testTarget(
            name: "ReliabilityTests",
            dependencies: ["Spool", "LogStorage", "FileIO", "MetadataStore", "GroupCoordinator", "SpoolTestSupport"]
        ),
    ]
)
