package io.outdial.dialer;

/** Command-line entry point: {@code serve}, {@code demo}, {@code run}, {@code validate}, {@code --help}, {@code --version}. */
public final class Main {
    private Main() { }

    public static void main(String[] args) {
        System.out.println("outdial: not yet wired");
    }
}
