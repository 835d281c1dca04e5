package dev.unmask.shared.config;

/** One environment variable the services read: its name, default and meaning (for the README table). */
public record Setting(String name, String defaultValue, String meaning) {}
