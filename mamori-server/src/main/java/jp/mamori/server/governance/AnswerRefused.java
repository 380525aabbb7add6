package jp.mamori.server.governance;

/**
 * An answer that was not stored, with the reason as a message key and its arguments so that the
 * page can say what is wrong and where in the person's language.
 */
class AnswerRefused extends RuntimeException {

    private final String messageKey;
    private final Object[] args;

    AnswerRefused(String messageKey, Object... args) {
        super(messageKey);
        this.messageKey = messageKey;
        this.args = args.clone();
    }

    String messageKey() {
        return messageKey;
    }

    Object[] args() {
        return args.clone();
    }
}
