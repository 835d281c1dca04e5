# The HTTP gateway: JSON API, SSE, outbox relay, lease reaper. No ML engine inside.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -DskipTests -pl api-gateway -am package

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/api-gateway/target/classes /app/classes
COPY --from=build /src/api-gateway/target/lib /app/lib
ENV UNMASK_PORT=8080 UNMASK_ARTIFACTS_DIR=/artifacts
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD curl -fsS http://localhost:8080/health/ready || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/app/classes:/app/lib/*", "dev.unmask.gateway.GatewayMain"]
