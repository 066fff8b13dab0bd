package io.outdial.dialer.app;

/** The build version, from the jar manifest's {@code Implementation-Version}; {@code dev} when run from classes. */
final class Version {
    private Version() {
    }

    static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? "dev" : v;
    }
}
