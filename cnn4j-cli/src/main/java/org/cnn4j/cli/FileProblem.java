package org.cnn4j.cli;

/** A problem with a user's file (dataset, model file, output directory): exit code 3. */
final class FileProblem extends RuntimeException {
    FileProblem(String message) {
        super(message);
    }

    FileProblem(String message, Throwable cause) {
        super(message, cause);
    }
}
