// SPDX-License-Identifier: Apache-2.0
// The coordinator's partition identity, named apart from the storage one
// (each layer owns its own; files that see both use these names).
import GroupCoordinator

typealias GroupPartition = TopicPartition
