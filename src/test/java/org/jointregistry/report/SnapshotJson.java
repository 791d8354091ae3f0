package org.jointregistry.report;

/** The parts of a snapshot's JSON envelope that the tests compare byte for byte. */
final class SnapshotJson {

    private SnapshotJson() {
    }

    /** The raw text of the snapshot's document member (the envelope ends with it: keys sorted, document last). */
    static String documentOf(String snapshot) {
        int start = snapshot.indexOf("\"document\":") + "\"document\":".length();
        return snapshot.substring(start, snapshot.length() - 1);
    }
}
