package dev.spindle.yarn;

/** Creates the {@link BlockTask} a job names. */
final class BlockTasks {

    private BlockTasks() {}

    static BlockTask instantiate(String className) {
        Class<?> type;
        try {
            type = Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("Block task class not found on the container classpath: " + className, e);
        }
        if (!BlockTask.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("Class %s does not implement %s".formatted(className, BlockTask.class.getName()));
        }
        try {
            return (BlockTask) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("Cannot create block task %s: it needs a public no-argument constructor".formatted(className), e);
        }
    }
}
