// SPDX-License-Identifier: Apache-2.0
// Messages about topic names, naming the refused name itself.
import Spool

enum TopicNames {
    /// `invalid topic name '..': topic name cannot be "." or ".."`.
    static func invalidMessage(_ name: String, _ error: SpoolError) -> String {
        var reason = CLIError.spoolMessage(error)
        let prefix = "invalid topic name: "
        if let range = reason.firstRange(of: prefix) { reason = String(reason[range.upperBound...]) }
        return "invalid topic name \(JSONString.quoted(name)): \(reason)"
    }
}
