package dev.tpo.demo.arithmetic;

/** One generated instruction and its exact answer. */
public record ArithmeticTask(ArithmeticCategory category, String instruction, int answer) {}
