/** The bundle facade and the exception types shared by every bundle-core package. */
package dev.tabscore.bundle;
