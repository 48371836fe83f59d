// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
/**
 * Java2D PNG charts (line and scatter series) for reports and calibration curves.
 * Uses only the JDK.
 */
package dev.lacuna.plot;
