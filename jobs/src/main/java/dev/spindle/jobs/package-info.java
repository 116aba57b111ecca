/** Spindle jobs. */
package dev.spindle.jobs;
