// SPDX-License-Identifier: Apache-2.0
// Build-tool plugin: embeds every Migrations/NNNN_name.sql of the package into a
// generated EmbeddedMigrations.swift in the target that uses the plugin.
// Inputs are the directory (its mtime changes when a file is added, removed or
// renamed) and each .sql file present when SwiftPM last planned the build (edits).
// The tool lists the directory itself, so an added file is embedded even while
// SwiftPM still uses an older plan of this command.
import Foundation
import PackagePlugin

@main
struct EmbedMigrationsPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let directory = context.package.directoryURL.appending(path: "Migrations")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let files = names.filter { $0.hasSuffix(".sql") }.sorted().map { directory.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedMigrations.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) migrations into \(target.name)",
                executable: try context.tool(named: "EmbedMigrations").url,
                arguments: [output.path, directory.path],
                inputFiles: [directory] + files,
                outputFiles: [output])
        ]
    }
}
