package dev.tpo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One name per flag across the commands, as TRL and transformers spell them ({@code --output},
 * {@code --max-new-tokens}); the old spellings ({@code --out}, {@code --new-tokens}) still parse but are out of the
 * help. And everything a command prints goes through picocli's writers, which these tests replace.
 */
class CliConventionsTest {
    @TempDir
    Path dir;

    @Test
    void helpShowsOnlyTheCanonicalNames() {
        for (List<String> command : List.of(
                List.of("model", "init"),
                List.of("train", "dpo"),
                List.of("train", "sft"),
                List.of("train", "ref-logps"),
                List.of("model", "score"),
                List.of("model", "generate"),
                List.of("model", "tokenize"),
                List.of("demo"),
                List.of("bench", "engine"),
                List.of("bench", "side-by-side"))) {
            String[] args = new String[command.size() + 1];
            command.toArray(args);
            args[command.size()] = "--help";
            CommandOutput help = CommandOutput.run(args);
            assertEquals(0, help.exitCode(), help.toString());
            assertFalse(
                    help.out().contains("--out ")
                            || help.out().contains("--out=")
                            || help.out().contains("--out,")
                            || help.out().contains("--new-tokens"),
                    help.toString());
            assertTrue(help.out().contains("--output") || help.out().contains("--max-new-tokens"), help.toString());
        }
    }

    @Test
    void theOldSpellingsStillParse() {
        EngineBenchCommand engine = parse(new EngineBenchCommand(), "--new-tokens", "7");
        assertEquals(7, engine.newTokens());
        assertEquals(9, parse(new EngineBenchCommand(), "--max-new-tokens", "9").newTokens());
        assertEquals(64, parse(new EngineBenchCommand()).newTokens());
        SideBySideBenchCommand sideBySide = parse(
                new SideBySideBenchCommand(), "--model", "m", "--work", "score", "--input", "i", "--new-tokens", "5");
        assertEquals(5, sideBySide.newTokens());
        assertEquals(Path.of("old"), parse(new DemoCommand(), "--out", "old").output());
        assertEquals(Path.of("new"), parse(new DemoCommand(), "--output", "new").output());
        assertEquals(Path.of("demo-output"), parse(new DemoCommand()).output());
        assertEquals(
                Path.of("o"), parse(new TrainCommand.Sft(), "--model", "m", "--data", "d", "--out", "o").output.dir);
        assertEquals(
                Path.of("o"),
                parse(new TrainCommand.Dpo(), "--model", "m", "--pairs", "p", "--output", "o").output.dir);
    }

    @Test
    void anOutputIsStillRequiredAndGivenOnce() {
        CommandOutput missing = CommandOutput.run("train", "sft", "--model", "m", "--data", "d");
        assertEquals(2, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("--output=DIR"), missing.toString());
        CommandOutput both =
                CommandOutput.run("train", "sft", "--model", "m", "--data", "d", "--out", "a", "--output", "b");
        assertEquals(2, both.exitCode(), both.toString());
    }

    @Test
    void modelInitWithTheOldSpellingWritesTheFolderAndReportsOnTheErrorWriter() throws Exception {
        Path config = dir.resolve("config.json");
        Files.writeString(
                config,
                "{\"architectures\":[\"LlamaForCausalLM\"],\"model_type\":\"llama\","
                        + "\"vocab_size\":64,\"hidden_size\":16,\"intermediate_size\":32,\"num_hidden_layers\":1,"
                        + "\"num_attention_heads\":2,\"eos_token_id\":2}");
        Path model = dir.resolve("model");
        CommandOutput init =
                CommandOutput.run("model", "init", "--config", config.toString(), "--out", model.toString());
        assertEquals(0, init.exitCode(), init.toString());
        assertTrue(Files.isRegularFile(model.resolve("model.safetensors")));
        assertTrue(init.err().startsWith("wrote " + model), init.toString());
    }

    @Test
    void aGroupWithoutItsSubcommandPrintsUsageOnTheErrorWriter() {
        for (String group : List.of("model", "train", "bench")) {
            CommandOutput usage = CommandOutput.run(group);
            assertEquals(0, usage.exitCode(), usage.toString());
            assertTrue(usage.err().startsWith("Usage: tpo " + group), usage.toString());
        }
        CommandOutput top = CommandOutput.run();
        assertTrue(top.err().startsWith("Usage: tpo"), top.toString());
    }

    private static <T> T parse(T command, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.parseArgs(args);
        return command;
    }
}
