/** The single-machine command line: {@code tabscore bundle inspect | verify | score}. */
package dev.tabscore.bundle.cli;
