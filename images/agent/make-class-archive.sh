#!/bin/sh
# The agent's class-data archive (AppCDS), as the agent image makes it:
#
#   images/agent/make-class-archive.sh JAR ARCHIVE [JAVA-OPTION...]
#
# One training run of JAR on loopback lists every class the agent loads (the agent runs as a process
# of its own, driven by dev.nodecache.agent.ClassDataTraining in a second JVM, so the driver's own
# classes stay out); a static dump then parses and verifies exactly those into ARCHIVE. The agent
# started with -XX:SharedArchiveFile=ARCHIVE maps them instead of reading the jar, which halves its
# time to the first answer (bench/startup-bench.sh). One static archive of the classes the agent
# uses, in place of the JDK's default one with a dynamic one on top, is 1 to 2 MiB less resident.
# JAR must be the path the agent runs from, and java the runtime it runs on ($JAVA_HOME's, or the
# one on PATH): the archive records both. JAVA-OPTIONs are the agent's own (the image gives its
# -Djava.library.path), so that the training loads what the agent will.
set -eu
[ $# -ge 2 ] || { sed -n 2,14p "$0"; exit 2; }
jar=$1 archive=$2
shift 2
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
list="$archive.classlist"
"$java" -cp "$jar" dev.nodecache.agent.ClassDataTraining \
  "$java" -XX:DumpLoadedClassList="$list" -XX:+UseSerialGC "$@" -jar "$jar"
"$java" -Xshare:dump -XX:SharedClassListFile="$list" -XX:SharedArchiveFile="$archive" \
  -XX:+UseSerialGC -Xlog:cds=error -cp "$jar" >/dev/null
rm -f "$list"
