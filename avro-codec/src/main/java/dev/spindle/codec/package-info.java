/** Spindle avro-codec. */
package dev.spindle.codec;
