package dev.tpo.method.judge;

import dev.tpo.model.tokenizer.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test double: answers each chat with a function of it, and records every chat it was sent. */
final class ScriptedBackend implements JudgeBackend {
    private static final Pattern ANSWER_A = Pattern.compile(
            "\\[The Start of Assistant A's Answer]\\n(.*?)\\n\\[The End of Assistant A's Answer]", Pattern.DOTALL);
    private static final Pattern ANSWER_B = Pattern.compile(
            "\\[The Start of Assistant B's Answer]\\n(.*?)\\n\\[The End of Assistant B's Answer]", Pattern.DOTALL);
    private static final Pattern ANSWER = Pattern.compile(
            "\\[The Start of Assistant's Answer]\\n(.*?)\\n\\[The End of Assistant's Answer]", Pattern.DOTALL);

    final List<List<ChatMessage>> received = new ArrayList<>();
    int calls;
    boolean closed;
    private final Function<List<ChatMessage>, String> script;

    ScriptedBackend(Function<List<ChatMessage>, String> script) {
        this.script = script;
    }

    @Override
    public List<String> complete(List<List<ChatMessage>> chats) {
        calls++;
        received.addAll(chats);
        List<String> out = new ArrayList<>();
        for (List<ChatMessage> chat : chats) {
            out.add(script.apply(chat));
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
    }

    static String answerA(List<ChatMessage> chat) {
        return find(ANSWER_A, chat);
    }

    static String answerB(List<ChatMessage> chat) {
        return find(ANSWER_B, chat);
    }

    static String answer(List<ChatMessage> chat) {
        return find(ANSWER, chat);
    }

    private static String find(Pattern p, List<ChatMessage> chat) {
        Matcher m = p.matcher(chat.get(chat.size() - 1).content());
        if (!m.find()) {
            throw new AssertionError("no answer block in " + chat);
        }
        return m.group(1);
    }

    /** The number after "quality " in a response, the hidden truth a scripted judge compares. */
    static int quality(String response) {
        Matcher m = Pattern.compile("quality (\\d+)").matcher(response);
        if (!m.find()) {
            throw new AssertionError("no quality in " + response);
        }
        return Integer.parseInt(m.group(1));
    }
}
