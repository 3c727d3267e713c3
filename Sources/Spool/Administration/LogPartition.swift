// SPDX-License-Identifier: Apache-2.0
// The storage layer's partition identity (see GroupPartition.swift).
import LogStorage

typealias LogPartition = TopicPartition
