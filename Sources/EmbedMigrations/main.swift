// SPDX-License-Identifier: Apache-2.0
// Build-time host tool run by EmbedMigrationsPlugin: reads Migrations/NNNN_name.sql
// files and writes one Swift file with their exact text, so MetadataStore needs
// no resource bundle and no Foundation at run time.
//
// Usage: EmbedMigrations <output.swift> <Migrations directory>
// (a path to a .sql file is accepted too and stands for its directory).
// The directory is listed here, at build time, not by the plugin: SwiftPM keeps
// a plugin's command list until the package structure changes, so a list made
// by the plugin can be stale; the directory (an input of the command) changes
// its mtime when a file is added or removed, which re-runs this tool.
// Fails the build (exit 1, message on stderr) on a malformed file name, a
// duplicate version, or a file that is not UTF-8.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func fail(_ message: String) -> Never {
    let line = Array("EmbedMigrations: error: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(1)
}

func readFile(_ path: String) -> [UInt8] {
    guard let f = fopen(path, "rb") else { fail("cannot open \(path): errno \(errno)") }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
        if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
        if n < chunk.count {
            if ferror(f) != 0 { fail("cannot read \(path)") }
            break
        }
    }
    return bytes
}

/// "Migrations/0001_initial.sql" -> (1, "0001_initial"): four or more digits, "_", [a-z0-9_]+, ".sql".
func parseName(_ path: String) -> (version: Int, name: String) {
    let base = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
    guard base.hasSuffix(".sql") else { fail("\(base): migration files must end in .sql") }
    let stem = String(base.dropLast(4))
    let parts = stem.split(separator: "_", maxSplits: 1)
    guard parts.count == 2, parts[0].count >= 4, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }),
        let version = Int(parts[0]), version > 0,
        !parts[1].isEmpty,
        parts[1].allSatisfy({ ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" })
    else { fail("\(base): migration files are named NNNN_snake_case_name.sql with NNNN >= 0001") }
    return (version, stem)
}

/// A Swift string literal holding exactly `text`.
func literal(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// Names of the visible *.sql files in `directory`, sorted; [] if it does not exist.
func sqlFiles(in directory: String) -> [String] {
    guard let dir = opendir(directory) else {
        if errno == ENOENT { return [] }
        fail("cannot list \(directory): errno \(errno)")
    }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name.hasSuffix(".sql") && !name.hasPrefix(".") { names.append(name) }
    }
    return names.sorted()
}

func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
}

let args = Array(CommandLine.arguments.dropFirst())
guard let output = args.first, args.count >= 2 else {
    fail("usage: EmbedMigrations <output.swift> <Migrations directory>")
}
// A .sql path (as passed by plans made by an older version of the plugin) stands
// for its directory, so a stale plan still embeds the current set of files.
var directories: [String] = []
for arg in args.dropFirst() {
    let directory = isDirectory(arg) ? arg : String(arg[..<(arg.lastIndex(of: "/") ?? arg.startIndex)])
    if !directories.contains(directory) { directories.append(directory) }
}

var migrations: [(version: Int, name: String, sql: String)] = []
for path in directories.flatMap({ dir in sqlFiles(in: dir).map { dir + "/" + $0 } }) {
    let (version, name) = parseName(path)
    guard let sql = String(validating: readFile(path), as: UTF8.self) else { fail("\(path) is not valid UTF-8") }
    if let other = migrations.first(where: { $0.version == version }) {
        fail("\(name) and \(other.name) share version \(version)")
    }
    migrations.append((version, name, sql))
}
migrations.sort { $0.version < $1.version }

var swift = """
    // Generated by EmbedMigrations from Migrations/*.sql. Do not edit.
    // Each entry is the exact text of one migration file, in version order.

    package enum EmbeddedMigrations {
        package static let all: [(version: Int, name: String, sql: String)] = [

    """
for m in migrations {
    swift += "        (\(m.version), \(literal(m.name)), \(literal(m.sql))),\n"
}
swift += "    ]\n}\n"

guard let out = fopen(output, "wb") else { fail("cannot create \(output): errno \(errno)") }
let bytes = Array(swift.utf8)
let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, out) }
if written != bytes.count || fclose(out) != 0 { fail("cannot write \(output)") }
