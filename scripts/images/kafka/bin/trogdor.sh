#!/usr/bin/env bash
# Trogdor, Kafka's fault injection and workload framework: trogdor.sh ACTION [options]
#   agent | coordinator            run the agent / the coordinator
#   client | agent-client          talk to a running coordinator / agent
usage() { sed -n '2,4s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
case "${1:-help}" in
  agent) class=org.apache.kafka.trogdor.agent.Agent ;;
  coordinator) class=org.apache.kafka.trogdor.coordinator.Coordinator ;;
  client) class=org.apache.kafka.trogdor.coordinator.CoordinatorClient ;;
  agent-client) class=org.apache.kafka.trogdor.agent.AgentClient ;;
  help|-h|--help) usage; exit 0 ;;
  *) echo "Unknown action '$1'. Type '$0 help' for help." >&2; exit 1 ;;
esac
shift
exec "$(dirname "${BASH_SOURCE[0]}")/kafka-run-class.sh" "$class" "$@"
