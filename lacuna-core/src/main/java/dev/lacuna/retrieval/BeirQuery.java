package dev.lacuna.retrieval;

/** One query of a BEIR collection. */
public record BeirQuery(String id, String text) {}
