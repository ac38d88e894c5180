package dev.tpo.model.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatTemplateTest {

    private static final Clock MARCH_7_2025 = Clock.fixed(Instant.parse("2025-03-07T10:00:00Z"), ZoneOffset.UTC);
    private static final List<ChatMessage> SYSTEM_AND_USER =
            List.of(ChatMessage.system("You are a helpful assistant."), ChatMessage.user("What is 2+2?"));

    /** The Llama 3.x instruct template as Meta ships it in tokenizer_config.json (the 3.2 revision, which calls strftime_now). */
    private static String llamaInstructTemplate() throws IOException {
        try (InputStream in = ChatTemplateTest.class.getResourceAsStream("llama3_2-instruct.jinja")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static ChatTemplate llamaInstruct() throws IOException {
        return new ChatTemplate(
                llamaInstructTemplate(),
                Map.of("bos_token", "<|begin_of_text|>", "eos_token", "<|eot_id|>"),
                MARCH_7_2025);
    }

    @Test
    void llamaInstructTemplateWritesDateHeaderAndGenerationPrompt() throws IOException {
        String expected = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                + "Cutting Knowledge Date: December 2023\n"
                + "Today Date: 07 Mar 2025\n\n"
                + "You are a helpful assistant.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\n"
                + "What is 2+2?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n";
        assertEquals(expected, llamaInstruct().render(SYSTEM_AND_USER, true));
    }

    @Test
    void llamaInstructTemplateWithoutSystemMessageOrGenerationPrompt() throws IOException {
        String expected = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
                + "Cutting Knowledge Date: December 2023\n"
                + "Today Date: 07 Mar 2025\n\n"
                + "<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\n"
                + "Hi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n"
                + "Hello!<|eot_id|>";
        // The template trims message content, so the padded user turn comes out as "Hi".
        assertEquals(
                expected,
                llamaInstruct().render(List.of(ChatMessage.user("  Hi\n"), ChatMessage.assistant("Hello!")), false));
    }

    @Test
    void llamaInstructTemplateSerialisesToolsLikePythonJsonDumps() throws IOException {
        Map<String, Object> tool = Map.of("type", "function", "function", Map.of("name", "add"));
        String rendered =
                llamaInstruct().render(List.of(ChatMessage.user("Add 1 and 2")), true, Map.of("tools", List.of(tool)));
        assertTrue(rendered.contains("Environment: ipython\n"), rendered);
        // json.dumps(indent=4): newline plus four spaces per level, ": " between key and value.
        assertTrue(rendered.contains("\"function\": {\n        \"name\": \"add\"\n    }"), rendered);
    }

    @Test
    void raiseExceptionFailsTheRenderWithTheTemplatesMessage() throws IOException {
        // With tools in the user message and no user message, Meta's template calls raise_exception.
        ChatTemplateException e = assertThrows(
                ChatTemplateException.class,
                () -> llamaInstruct()
                        .render(List.of(ChatMessage.system("s")), true, Map.of("tools", List.of(Map.of()))));
        assertTrue(
                e.getMessage()
                        .contains("Cannot put tools in the first user message when there's no first user message!"),
                e.getMessage());
    }

    @Test
    void strftimeNowUsesTheInjectedClockAndPythonDirectives() {
        ChatTemplate template = new ChatTemplate("{{ strftime_now('%A %d %B %Y %H:%M %%') }}", Map.of(), MARCH_7_2025);
        assertEquals("Friday 07 March 2025 10:00 %", template.render(List.of(), false));
    }

    @Test
    void unknownFilterIsRejectedInsteadOfRenderingNothing() {
        ChatTemplateException e = assertThrows(
                ChatTemplateException.class,
                () -> new ChatTemplate("{{ messages[0].content | shout }}", Map.of(), MARCH_7_2025));
        assertTrue(e.getMessage().contains("shout"), e.getMessage());
    }

    @Test
    void unknownTestIsRejected() {
        assertThrows(
                ChatTemplateException.class,
                () -> new ChatTemplate("{% if messages is palindrome %}x{% endif %}", Map.of(), MARCH_7_2025));
    }

    @Test
    void unsupportedStringMethodFailsLoudly() {
        ChatTemplate template = new ChatTemplate("[{{ messages[0].content.zfill(5) }}]", Map.of(), MARCH_7_2025);
        ChatTemplateException e =
                assertThrows(ChatTemplateException.class, () -> template.render(List.of(ChatMessage.user("7")), false));
        assertTrue(e.getMessage().contains("zfill"), e.getMessage());
    }

    @Test
    void unknownFunctionAndSyntaxErrorsFailLoudly() {
        assertThrows(
                ChatTemplateException.class,
                () -> new ChatTemplate("{{ format_prompt(messages) }}", Map.of(), MARCH_7_2025)
                        .render(List.of(), false));
        assertThrows(
                ChatTemplateException.class,
                () -> new ChatTemplate("{{ 1 + }}", Map.of(), MARCH_7_2025).render(List.of(), false));
    }

    @Test
    void pythonStringMethodsBehaveLikePython() {
        ChatTemplate template = new ChatTemplate(
                "{% set c = messages[0].content %}"
                        + "{{ c.split('</think>')[-1].lstrip('\\n') }}|{{ c.split('</think>')[0].rstrip('\\n').split('<think>')[-1].lstrip('\\n') }}"
                        + "|{{ c.startswith('<think>') }}|{{ c.endswith('x') }}|{{ '  a  b '.split() | length }}|{{ '\\nx\\n'.strip('\\n') }}",
                Map.of(), MARCH_7_2025);
        assertEquals(
                "answer|reasoning|true|false|2|x",
                template.render(List.of(ChatMessage.assistant("<think>\nreasoning\n</think>\n\nanswer")), false));
    }

    @Test
    void reverseSliceAndNamespaceKeywordExpressionsWork() {
        ChatTemplate template = new ChatTemplate(
                "{%- set ns = namespace(last=messages|length - 1, seen=false) %}"
                        + "{%- for m in messages[::-1] %}{{ m.role }},{% if not ns.seen %}{% set ns.seen = true %}{% endif %}{%- endfor %}"
                        + "{{ ns.last }}{{ ns.seen }}",
                Map.of(), MARCH_7_2025);
        assertEquals(
                "user,assistant,system,2true",
                template.render(
                        List.of(ChatMessage.system("s"), ChatMessage.assistant("a"), ChatMessage.user("u")), false));
    }

    @Test
    void notBindsLooserThanIsTestsAsInJinja2() {
        ChatTemplate template = new ChatTemplate(
                "{{ not tools is defined }}|{{ not nothing is defined }}|{{ not tools is none }}|{{ not messages[0]['role'] is string }}",
                Map.of(),
                MARCH_7_2025);
        assertEquals(
                "false|true|true|false",
                template.render(List.of(ChatMessage.user("u")), false, Map.of("tools", List.of(1))));
    }

    @Test
    void syntaxShimLeavesStringsAndOtherCallsAlone() {
        assertEquals(
                "{% set ns = namespace(a=(x|length - 1), b=('a,b')) %}{{ (xs|reverse) }}{{ f(a=1 - 2) }}",
                JinjaSyntaxShim.rewrite(
                        "{% set ns = namespace(a=x|length - 1, b='a,b') %}{{ xs[::-1] }}{{ f(a=1 - 2) }}"));
    }

    /**
     * Message content is data, never template source: a sampled response or a user prompt holding Jinja delimiters
     * (code that uses templates, or a random model's characters) comes out as written instead of being interpreted
     * again (found when a reward-model judge failed on a character model's sample, in WorkerFaultMatrixTest).
     */
    @Test
    void contentWithTemplateSyntaxIsRenderedAsWritten() {
        ChatTemplate template = new ChatTemplate(
                "{{ bos_token }}{% for message in messages %}{{ '<|' + message['role'] + '|>' + message['content'] }}"
                        + "{% endfor %}",
                Map.of("bos_token", "<s>"), MARCH_7_2025);
        String[] contents = {"a {{ x", "{% if %}b", "{{ 1 + 2 }}", "c }} {#", "{{ bos_token }}"};
        for (String content : contents) {
            assertEquals(
                    "<s><|user|>q<|assistant|>" + content,
                    template.render(List.of(ChatMessage.user("q"), ChatMessage.assistant(content)), false),
                    content);
        }
    }
}
