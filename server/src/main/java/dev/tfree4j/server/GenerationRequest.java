package dev.tfree4j.server;

import dev.tfree4j.GenerateOptions;
import java.util.List;

/**
 * A completion or chat request after validation: everything the runtime needs, already checked.
 *
 * @param prompt the text the model continues (for a chat: the conversation in the chat template)
 * @param promptWords its words (model units), counted while validating
 * @param options the runtime's options (max words, sampling, log-probs)
 * @param stop OpenAI stop texts: the output ends before the first one
 * @param echo return the prompt before the completion (completions only)
 * @param logprobs how many alternatives to report per word, or null for no log-probs
 * @param stream answer as server-sent events
 * @param includeUsage with stream: a last chunk carries the usage
 */
record GenerationRequest(String prompt, int promptWords, GenerateOptions options, List<String> stop, boolean echo,
                         Integer logprobs, boolean stream, boolean includeUsage) {}
