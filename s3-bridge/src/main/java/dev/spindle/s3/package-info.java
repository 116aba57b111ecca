/** Spindle s3-bridge. */
package dev.spindle.s3;
