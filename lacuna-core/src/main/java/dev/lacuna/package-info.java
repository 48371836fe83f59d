// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * The project's one exception type, {@link dev.lacuna.LacunaException}: a user-caused problem in one line;
 * and {@link dev.lacuna.Version}, the version from pom.xml. Uses nothing of Lacuna: every package may use it.
 */
package dev.lacuna;
