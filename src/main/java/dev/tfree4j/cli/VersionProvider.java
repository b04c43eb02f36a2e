package dev.tfree4j.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"tfree4j " + (v == null ? "0.1.0-SNAPSHOT" : v)};
    }
}
