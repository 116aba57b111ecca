package dev.spindle.yarn;

import java.util.List;

/**
 * The spec of {@link FailOnHostTask}.
 *
 * @param badHosts the NodeManager hosts ({@code NM_HOST}) on which every worker dies at its first block
 * @param markerDir a directory where each dying worker first leaves a file named after its container
 * @param awaitedDeaths how many such files a worker elsewhere waits for before its first block
 */
public record BadHostSpec(List<String> badHosts, String markerDir, int awaitedDeaths) implements TaskSpec {

    public BadHostSpec {
        badHosts = List.copyOf(badHosts);
    }
}
