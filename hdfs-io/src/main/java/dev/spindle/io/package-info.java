/** Spindle hdfs-io. */
package dev.spindle.io;
