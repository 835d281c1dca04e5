# A CPU worker: the PyTorch CPU natives come with the classpath (pytorch-native-cpu).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -DskipTests -pl gpu-worker -am package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/gpu-worker/target/classes /app/classes
COPY --from=build /src/gpu-worker/target/lib /app/lib
ENV OPT_OUT_TRACKING=true UNMASK_DEVICE=cpu UNMASK_ARTIFACTS_DIR=/artifacts DJL_CACHE_DIR=/app/.djl
EXPOSE 9400
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Dai.djl.offline=true", "-cp", "/app/classes:/app/lib/*", "dev.unmask.worker.WorkerMain"]
