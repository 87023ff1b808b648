<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name>AnalysisWorker</name>
    <message>
        <source>the model could not be opened</source>
        <translation>no se pudo abrir el modelo</translation>
    </message>
    <message>
        <source>Heatmap failed for {name}: {reason}</source>
        <translation>Falló el mapa de calor de {name}: {reason}</translation>
    </message>
    <message>
        <source>The report could not be written: {error}</source>
        <translation>No se pudo escribir el informe: {error}</translation>
    </message>
    <message>
        <source>The DICOM results could not be written: {error}</source>
        <translation>No se pudieron escribir los resultados DICOM: {error}</translation>
    </message>
    <message>
        <source>Export cancelled.</source>
        <translation>Exportación cancelada.</translation>
    </message>
    <message>
        <source>Cannot write {path}: {reason}</source>
        <translation>No se puede escribir {path}: {reason}</translation>
    </message>
</context>
<context>
    <name>ClinicInputs</name>
    <message>
        <source>Cannot use the inbox {folder}: {reason}</source>
        <extracomment>The watched folder is polled this often, and a file taken once unchanged in this many polls in a row (the ``watch`` command&apos;s defaults: a film that has rested 4–6 s).</extracomment>
        <translation>No se puede usar la carpeta de entrada {folder}: {reason}</translation>
    </message>
    <message>
        <source>Cannot listen on {address}: {reason}</source>
        <translation>No se puede escuchar en {address}: {reason}</translation>
    </message>
    <message>
        <source>Cannot watch {folder}: it is not a folder</source>
        <translation>No se puede vigilar {folder}: no es una carpeta</translation>
    </message>
    <message>
        <source>Cannot read the watched folder {folder}: {reason}</source>
        <translation>No se puede leer la carpeta vigilada {folder}: {reason}</translation>
    </message>
</context>
<context>
    <name>DropHint</name>
    <message>
        <source>Drop chest X-ray images or folders here
(PNG, JPEG, BMP, TIFF, DICOM)

or use File → Open files… / Open folder…</source>
        <translation>Suelte aquí radiografías de tórax o carpetas
(PNG, JPEG, BMP, TIFF, DICOM)

o use Archivo → Abrir archivos… / Abrir carpeta…</translation>
    </message>
</context>
<context>
    <name>EngineOwner</name>
    <message>
        <source>The model could not be opened: {error}</source>
        <translation>No se pudo abrir el modelo: {error}</translation>
    </message>
</context>
<context>
    <name>FilmPresenter</name>
    <message>
        <source>Select a row to view the film.</source>
        <translation>Seleccione una fila para ver la radiografía.</translation>
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation>Cargando {name}…</translation>
    </message>
    <message>
        <source>{name} · {width}×{height} · {format}, {bits} bit</source>
        <translation>{name} · {width}×{height} · {format}, {bits} bits</translation>
    </message>
    <message>
        <source>Cannot show this file: {reason}</source>
        <translation>No se puede mostrar este archivo: {reason}</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Filter by file, patient, prediction or reason…</source>
        <translation>Filtrar por archivo, paciente, predicción o motivo…</translation>
    </message>
    <message>
        <source>Needs review only</source>
        <translation>Solo a revisar</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Todos los estados</translation>
    </message>
    <message>
        <source>{shown} of {total} shown</source>
        <translation>{shown} de {total} mostrados</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>CXR Screening</source>
        <extracomment>How the window&apos;s width is shared at start: the table takes what its decision columns need at 1280 pixels.</extracomment>
        <translation>CXR Screening</translation>
    </message>
    <message>
        <source>Looking for models…</source>
        <translation>Buscando modelos…</translation>
    </message>
    <message>
        <source>Could not look for models: {error}</source>
        <translation>No se pudieron buscar modelos: {error}</translation>
    </message>
    <message>
        <source>{count} model(s) available</source>
        <translation>{count} modelo(s) disponible(s)</translation>
    </message>
    <message>
        <source>No model installed</source>
        <translation>Ningún modelo instalado</translation>
    </message>
    <message>
        <source>Busy: wait for the current job or cancel it.</source>
        <translation>Ocupado: espere a que termine la tarea actual o cancélela.</translation>
    </message>
    <message>
        <source>No model is available: see the Model &amp; runtime tab.</source>
        <translation>No hay ningún modelo disponible: vea la pestaña Modelo &amp; ejecución.</translation>
    </message>
    <message>
        <source>Export results as CSV</source>
        <translation>Exportar resultados como CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Archivos CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Falló la exportación</translation>
    </message>
    <message>
        <source>Cannot write {path}: {reason}</source>
        <translation>No se puede escribir {path}: {reason}</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>Guardado: {path}</translation>
    </message>
    <message>
        <source>Export PDF report</source>
        <translation>Exportar informe PDF</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Archivos PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Export DICOM results into</source>
        <translation>Exportar los resultados DICOM en</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>falló</translation>
    </message>
</context>
<context>
    <name>ModelCardView</name>
    <message>
        <source>&lt;p&gt;No model loaded.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Ningún modelo cargado.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;i&gt;Automatic routing: each film is scored by the model validated for its population below; a film none is validated for is not scored and is flagged for review.&lt;/i&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;i&gt;Asignación automática: cada radiografía la puntúa el modelo validado para su población (abajo); una radiografía para la que ninguno está validado no se puntúa y se marca para revisión.&lt;/i&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;tr&gt;&lt;td&gt;none recorded&lt;/td&gt;&lt;/tr&gt;</source>
        <translation>&lt;tr&gt;&lt;td&gt;ninguna registrada&lt;/td&gt;&lt;/tr&gt;</translation>
    </message>
    <message>
        <source>not stated</source>
        <translation>no indicado</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Intended use:&lt;/b&gt; {text}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Uso previsto:&lt;/b&gt; {text}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Validated population:&lt;/b&gt; {text}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Población validada:&lt;/b&gt; {text}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Trained on:&lt;/b&gt; {text}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Entrenado con:&lt;/b&gt; {text}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Labels:&lt;/b&gt; {labels}; &lt;b&gt;flags&lt;/b&gt; {flagged}&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Etiquetas:&lt;/b&gt; {labels}; &lt;b&gt;marca&lt;/b&gt; {flagged}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Test metrics of build {build}:&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Métricas de prueba de la variante {build}:&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Limitations:&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Limitaciones:&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>not stated: films are never routed to this model automatically</source>
        <translation>no indicada: ninguna radiografía se asigna automáticamente a este modelo</translation>
    </message>
    <message>
        <source>; never chosen automatically, only when asked for</source>
        <translation>; nunca se elige automáticamente, solo cuando se pide</translation>
    </message>
    <message>
        <source>{description} (sources: {sources}){routed}</source>
        <translation>{description} (fuentes: {sources}){routed}</translation>
    </message>
    <message>
        <source>Test films</source>
        <translation>Radiografías de prueba</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Exactitud</translation>
    </message>
    <message>
        <source>ROC AUC</source>
        <translation>AUC ROC</translation>
    </message>
    <message>
        <source>sensitivity</source>
        <translation>sensibilidad</translation>
    </message>
    <message>
        <source>specificity</source>
        <translation>especificidad</translation>
    </message>
    <message>
        <source>{label} {measure} at threshold {threshold:.3f}</source>
        <translation>{measure} de {label} en el umbral {threshold:.3f}</translation>
    </message>
    <message>
        <source>Recall {label}</source>
        <translation>Exhaustividad {label}</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Safety checks:&lt;/b&gt; no figures in this card&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Comprobaciones de seguridad:&lt;/b&gt; sin cifras en esta ficha&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Safety checks:&lt;/b&gt; figures in an older format: re-attach them with converters.safety_card&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Comprobaciones de seguridad:&lt;/b&gt; cifras en un formato antiguo: vuelva a adjuntarlas con converters.safety_card&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Chest-film gate refused non-chest test images ({name}): {figure}</source>
        <translation>El filtro de radiografías de tórax rechazó imágenes de prueba que no son de tórax ({name}): {figure}</translation>
    </message>
    <message>
        <source>wrongly refused real frontal films ({name}): {figure}</source>
        <translation>rechazó por error radiografías frontales reales ({name}): {figure}</translation>
    </message>
    <message>
        <source>source held out of fitting, {name}: refused {figure}</source>
        <translation>fuente excluida del ajuste, {name}: rechazadas {figure}</translation>
    </message>
    <message>
        <source>Population check ({name}): {population}</source>
        <translation>Comprobación de población ({name}): {population}</translation>
    </message>
    <message>
        <source>judged outside it ({name}): {figure}</source>
        <translation>consideradas fuera de ella ({name}): {figure}</translation>
    </message>
    <message>
        <source>source held out of fitting ({fold}), {name}: {figure}</source>
        <translation>fuente excluida del ajuste ({fold}), {name}: {figure}</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Safety checks:&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Comprobaciones de seguridad:&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>{count} of {films}, {rate}</source>
        <translation>{count} de {films}, {rate}</translation>
    </message>
    <message>
        <source>{counts} films</source>
        <translation>{counts} radiografías</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>n/d</translation>
    </message>
    <message>
        <source>{value} (95% CI {low}–{high})</source>
        <translation>{value} (IC 95 % {low}–{high})</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <source>Automatic (GPU if available)</source>
        <translation>Automático (GPU si está disponible)</translation>
    </message>
    <message>
        <source>GPU (fall back to CPU)</source>
        <translation>GPU (si no, CPU)</translation>
    </message>
    <message>
        <source>CPU only</source>
        <translation>Solo CPU</translation>
    </message>
    <message>
        <source>not loaded</source>
        <translation>no cargado</translation>
    </message>
    <message>
        <source>Look for models again</source>
        <translation>Buscar modelos de nuevo</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Films go to</source>
        <translation>Radiografías van a</translation>
    </message>
    <message>
        <source>Build</source>
        <translation>Variante</translation>
    </message>
    <message>
        <source>Accelerator</source>
        <translation>Acelerador</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>Hilos</translation>
    </message>
    <message>
        <source>Runtime</source>
        <translation>Motor de ejecución</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notas</translation>
    </message>
    <message>
        <source>Automatic (by population)</source>
        <translation>Automático (por población)</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;color:#b00020&apos;&gt;&lt;b&gt;Refused&lt;/b&gt; {folder}: {error}&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;color:#b00020&apos;&gt;&lt;b&gt;Rechazado&lt;/b&gt; {folder}: {error}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Model folders searched: {folders}</source>
        <translation>Carpetas de modelos buscadas: {folders}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguna</translation>
    </message>
    <message>
        <source>each model&apos;s default build</source>
        <translation>variante predeterminada de cada modelo</translation>
    </message>
    <message>
        <source>{name} {version} ({build}): {population}</source>
        <translation>{name} {version} ({build}): {population}</translation>
    </message>
    <message>
        <source>no stated population</source>
        <translation>sin población indicada</translation>
    </message>
    <message>
        <source>Each film goes to the model validated for its population; a film none is validated for is shown as not validated and flagged for review.</source>
        <translation>Cada radiografía va al modelo validado para su población; una radiografía para la que ninguno está validado se muestra como no validada y se marca para revisión.</translation>
    </message>
    <message>
        <source>Every film is scored by this model; films outside its population are shown as not validated and flagged for review.</source>
        <translation>Todas las radiografías las puntúa este modelo; las que están fuera de su población se muestran como no validadas y se marcan para revisión.</translation>
    </message>
</context>
<context>
    <name>NoModelPage</name>
    <message>
        <source>Look for models again</source>
        <translation>Buscar modelos de nuevo</translation>
    </message>
    <message>
        <source>&lt;h2&gt;No screening model is installed&lt;/h2&gt;&lt;p&gt;This program needs a model bundle: a folder holding &lt;tt&gt;card.json&lt;/tt&gt; and a &lt;tt&gt;.tflite&lt;/tt&gt; file, provided by your program administrator.&lt;/p&gt;&lt;p&gt;To add one, copy the whole folder into &lt;b&gt;{user_folder}&lt;/b&gt; and press &lt;i&gt;Look for models again&lt;/i&gt;.&lt;/p&gt;&lt;p&gt;Folders searched:&lt;/p&gt;&lt;ul&gt;{folders}&lt;/ul&gt;</source>
        <translation>&lt;h2&gt;No hay ningún modelo de cribado instalado&lt;/h2&gt;&lt;p&gt;Este programa necesita un paquete de modelo: una carpeta con &lt;tt&gt;card.json&lt;/tt&gt; y un archivo &lt;tt&gt;.tflite&lt;/tt&gt;, proporcionada por el administrador de su programa.&lt;/p&gt;&lt;p&gt;Para añadir uno, copie la carpeta entera en &lt;b&gt;{user_folder}&lt;/b&gt; y pulse &lt;i&gt;Buscar modelos de nuevo&lt;/i&gt;.&lt;/p&gt;&lt;p&gt;Carpetas buscadas:&lt;/p&gt;&lt;ul&gt;{folders}&lt;/ul&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Bundles found but refused (damaged or incompatible):&lt;/p&gt;&lt;ul&gt;{items}&lt;/ul&gt;</source>
        <translation>&lt;p&gt;Paquetes encontrados pero rechazados (dañados o incompatibles):&lt;/p&gt;&lt;ul&gt;{items}&lt;/ul&gt;</translation>
    </message>
</context>
<context>
    <name>ReceiveDialog</name>
    <message>
        <source>Receive from X-ray unit</source>
        <extracomment>DICOM&apos;s limit on an AE title (PS3.5 §6.2, AE value representation).</extracomment>
        <translation>Recibir del equipo de rayos X</translation>
    </message>
    <message>
        <source>Receive films from the X-ray unit and screen each one</source>
        <translation>Recibir las radiografías del equipo de rayos X y cribar cada una</translation>
    </message>
    <message>
        <source>{address} (this computer only)</source>
        <translation>{address} (solo este ordenador)</translation>
    </message>
    <message>
        <source>{address} (every network)</source>
        <translation>{address} (todas las redes)</translation>
    </message>
    <message>
        <source>any unit (e.g. DR_ROOM1, CR_ROOM2)</source>
        <translation>cualquier equipo (p. ej., DR_ROOM1, CR_ROOM2)</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Elegir…</translation>
    </message>
    <message>
        <source>AE title:</source>
        <translation>Título AE:</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Puerto:</translation>
    </message>
    <message>
        <source>Listen on:</source>
        <translation>Escuchar en:</translation>
    </message>
    <message>
        <source>Accept only units:</source>
        <translation>Aceptar solo los equipos:</translation>
    </message>
    <message>
        <source>Keep received films in:</source>
        <translation>Guardar las radiografías recibidas en:</translation>
    </message>
    <message>
        <source>On the X-ray unit, add a storage destination with this AE title and port and this computer&apos;s address. 127.0.0.1 only accepts films from this computer: for the unit to reach it, listen on this computer&apos;s network address (or 0.0.0.0) and list the unit&apos;s own AE title above. DICOM is not encrypted: keep it on the clinic&apos;s network.</source>
        <translation>En el equipo de rayos X, añada un destino de almacenamiento con este título AE, este puerto y la dirección de este ordenador. 127.0.0.1 solo acepta radiografías de este ordenador: para que el equipo llegue a él, escuche en la dirección de red de este ordenador (o 0.0.0.0) e indique arriba el título AE propio del equipo. DICOM no está cifrado: manténgalo en la red de la clínica.</translation>
    </message>
    <message>
        <source>Keep received films in</source>
        <translation>Guardar las radiografías recibidas en</translation>
    </message>
</context>
<context>
    <name>ResultDetails</name>
    <message>
        <source>This result supports and does not replace a clinician&apos;s reading.</source>
        <translation>Este resultado apoya, y no sustituye, la lectura de un clínico.</translation>
    </message>
    <message>
        <source>Flagged for review at {value:.1%} or more</source>
        <translation>Marcado para revisión a partir de {value:.1%}</translation>
    </message>
    <message>
        <source>No film selected.</source>
        <translation>Ninguna radiografía seleccionada.</translation>
    </message>
    <message>
        <source>&lt;h3&gt;{status}&lt;/h3&gt;{reason}</source>
        <translation>&lt;h3&gt;{status}&lt;/h3&gt;{reason}</translation>
    </message>
    <message>
        <source>&lt;b style=&apos;color:#c25400&apos;&gt;NEEDS REVIEW&lt;/b&gt;</source>
        <translation>&lt;b style=&apos;color:#c25400&apos;&gt;A REVISAR&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Not flagged</source>
        <translation>No marcado</translation>
    </message>
    <message>
        <source>&lt;br&gt;Image quality: {score:.0f} of 100</source>
        <translation>&lt;br&gt;Calidad de imagen: {score:.0f} de 100</translation>
    </message>
    <message>
        <source>&lt;br&gt;Scored by {model}</source>
        <translation>&lt;br&gt;Puntuado por {model}</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;color:#666&apos;&gt;The model&apos;s output, not validated for this film: {prediction} ({confidence})&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;color:#666&apos;&gt;Salida del modelo, no validada para esta radiografía: {prediction} ({confidence})&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>ResultsTableModel</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Not validated</source>
        <translation>No validado</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Rechazado</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>Needs review</source>
        <translation>A revisar</translation>
    </message>
    <message>
        <source>⚠ warning</source>
        <translation>⚠ advertencia</translation>
    </message>
    <message>
        <source>{status}: {reason}</source>
        <translation>{status}: {reason}</translation>
    </message>
    <message>
        <source>File</source>
        <extracomment>The columns after the label columns, in order (`column_of` gives their index).</extracomment>
        <translation>Archivo</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Paciente</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>Predicción</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>Confianza</translation>
    </message>
    <message>
        <source>P({label})</source>
        <translation>P({label})</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Calidad</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Status / reason</source>
        <translation>Estado / motivo</translation>
    </message>
    <message>
        <source>Patient ID · name · study date (DICOM files)</source>
        <translation>ID del paciente · nombre · fecha del estudio (archivos DICOM)</translation>
    </message>
    <message>
        <source>Why a film has no result, or what to keep in mind</source>
        <translation>Por qué una radiografía no tiene resultado, o qué tener en cuenta</translation>
    </message>
    <message>
        <source>Right-click to choose the columns shown</source>
        <translation>Clic derecho para elegir las columnas mostradas</translation>
    </message>
</context>
<context>
    <name>ScreeningWorker</name>
    <message>
        <source>The model could not be opened; see the Model &amp; runtime tab.</source>
        <translation>No se pudo abrir el modelo; vea la pestaña Modelo &amp; ejecución.</translation>
    </message>
    <message>
        <source>The safety checks could not be opened, so nothing was screened: {error}</source>
        <translation>No se pudieron abrir las comprobaciones de seguridad, así que no se cribó nada: {error}</translation>
    </message>
</context>
<context>
    <name>SidePanel</name>
    <message>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <source>Model card</source>
        <translation>Ficha del modelo</translation>
    </message>
    <message>
        <source>Model &amp;&amp; runtime</source>
        <translation>Modelo &amp;&amp; ejecución</translation>
    </message>
</context>
<context>
    <name>StatusArea</name>
    <message>
        <source>Cancel</source>
        <extracomment>How long a transient message stays (ms); 0 keeps it until the next one. The lights&apos; colours: grey off, green on, red failed.</extracomment>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>Guardado: {path}</translation>
    </message>
    <message>
        <source>Computing heatmap…</source>
        <translation>Calculando el mapa de calor…</translation>
    </message>
    <message>
        <source>Models (automatic by population): {names}</source>
        <translation>Modelos (automático por población): {names}</translation>
    </message>
    <message>
        <source>Model: {names}</source>
        <translation>Modelo: {names}</translation>
    </message>
    <message>
        <source>{models} · opening…</source>
        <translation>{models} · abriendo…</translation>
    </message>
    <message>
        <source>{models} · {runtime}</source>
        <translation>{models} · {runtime}</translation>
    </message>
    <message>
        <source> · GPU unavailable, running on CPU</source>
        <translation> · GPU no disponible, se ejecuta en CPU</translation>
    </message>
    <message>
        <source>Received films are kept in {folder}</source>
        <translation>Las radiografías recibidas se guardan en {folder}</translation>
    </message>
    <message>
        <source>Receiving stopped: {reason}</source>
        <translation>Recepción detenida: {reason}</translation>
    </message>
    <message>
        <source>Watching stopped: {reason}</source>
        <translation>Vigilancia detenida: {reason}</translation>
    </message>
    <message>
        <source>Not receiving</source>
        <translation>Sin recepción</translation>
    </message>
    <message>
        <source>Not watching a folder</source>
        <translation type="vanished">Ninguna carpeta vigilada</translation>
    </message>
    <message>
        <source>Receiving on {address}</source>
        <translation>Recibiendo en {address}</translation>
    </message>
    <message>
        <source>Watching {folder}</source>
        <translation>Vigilando {folder}</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Cancelando…</translation>
    </message>
    <message>
        <source>Writing DICOM results…</source>
        <translation>Escribiendo los resultados DICOM…</translation>
    </message>
    <message>
        <source>Looking for images…</source>
        <translation>Buscando imágenes…</translation>
    </message>
    <message>
        <source>{writing} {count}</source>
        <translation>{writing} {count}</translation>
    </message>
    <message>
        <source>Writing the report…</source>
        <translation>Escribiendo el informe…</translation>
    </message>
    <message>
        <source>Not watching</source>
        <translation>Sin vigilancia</translation>
    </message>
    <message>
        <source>{done} / {total}</source>
        <translation>{done} / {total}</translation>
    </message>
    <message>
        <source>Writing the report… {count}</source>
        <translation type="vanished">Escribiendo el informe… {count}</translation>
    </message>
    <message>
        <source>{count} · less than a minute left</source>
        <translation>{count} · queda menos de un minuto</translation>
    </message>
    <message>
        <source>{count} · about {minutes} min left</source>
        <translation>{count} · quedan unos {minutes} min</translation>
    </message>
    <message>
        <source>{verb}: {done} of {total} file(s) · {flagged} need review ({not_validated} not validated) · {errors} error(s), {rejected} rejected · {resumed} resumed from earlier</source>
        <translation>{verb}: {done} de {total} archivo(s) · {flagged} a revisar ({not_validated} no validado(s)) · {errors} error(es), {rejected} rechazado(s) · {resumed} reanudado(s) de antes</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelado</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminado</translation>
    </message>
    <message>
        <source>No image files found there.</source>
        <translation>No se encontraron archivos de imagen allí.</translation>
    </message>
    <message>
        <source>Screening stopped</source>
        <translation>Cribado detenido</translation>
    </message>
    <message>
        <source>Model could not be opened</source>
        <translation>No se pudo abrir el modelo</translation>
    </message>
</context>
<context>
    <name>ViewerPanel</name>
    <message>
        <source>Select a row to view the film.</source>
        <extracomment>Overlays are rendered at most this large and scaled up by the view (they are smooth anyway).</extracomment>
        <translation>Seleccione una fila para ver la radiografía.</translation>
    </message>
    <message>
        <source>Level (window center)</source>
        <translation>Nivel (centro de la ventana)</translation>
    </message>
    <message>
        <source>Window width</source>
        <translation>Ancho de ventana</translation>
    </message>
    <message>
        <source>Heatmap</source>
        <translation>Mapa de calor</translation>
    </message>
    <message>
        <source>Occlusion sensitivity: warm areas are where hiding the film lowers the abnormal probability most.</source>
        <translation>Sensibilidad a la oclusión: las zonas cálidas son donde tapar la radiografía más reduce la probabilidad de anomalía.</translation>
    </message>
    <message>
        <source>Reset window</source>
        <translation>Restablecer la ventana</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Ajustar</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Nivel</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>Ancho</translation>
    </message>
    <message>
        <source>Wheel: zoom · drag: pan · right-drag: window/level · double-click: fit</source>
        <translation>Rueda: zoom · arrastrar: desplazar · arrastrar con el botón derecho: ventana/nivel · doble clic: ajustar</translation>
    </message>
</context>
<context>
    <name>WindowActions</name>
    <message>
        <source>&amp;File</source>
        <extracomment>Qt&apos;s translate under a short name that pyside6-lupdate still reads (it needs the context literally).</extracomment>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>Open &amp;files…</source>
        <translation>Abrir a&amp;rchivos…</translation>
    </message>
    <message>
        <source>Open f&amp;older…</source>
        <translation>Abrir &amp;carpeta…</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>Exportar &amp;CSV…</translation>
    </message>
    <message>
        <source>Export &amp;PDF report…</source>
        <translation>Exportar informe &amp;PDF…</translation>
    </message>
    <message>
        <source>Include patient fields in exports</source>
        <translation>Incluir datos del paciente en las exportaciones</translation>
    </message>
    <message>
        <source>Patient name, ID, birth date… from DICOM files: identifying data</source>
        <translation>Nombre, ID, fecha de nacimiento del paciente… de los archivos DICOM: datos identificativos</translation>
    </message>
    <message>
        <source>C&amp;lear results</source>
        <translation>&amp;Borrar resultados</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>Show the heatmap of films that need review</source>
        <translation>Mostrar el mapa de calor de las radiografías a revisar</translation>
    </message>
    <message>
        <source>&amp;Columns</source>
        <translation>&amp;Columnas</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>&amp;Acerca de</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Principal</translation>
    </message>
    <message>
        <source>Export &amp;DICOM results…</source>
        <translation>Exportar resultados &amp;DICOM…</translation>
    </message>
    <message>
        <source>A structured report and a heatmap image per scored DICOM film, for the PACS</source>
        <translation>Un informe estructurado y una imagen del mapa de calor por cada radiografía DICOM puntuada, para el PACS</translation>
    </message>
    <message>
        <source>&amp;Clinic</source>
        <translation>&amp;Clínica</translation>
    </message>
    <message>
        <source>&amp;Receive from X-ray unit…</source>
        <translation>&amp;Recibir del equipo de rayos X…</translation>
    </message>
    <message>
        <source>&amp;Watch a folder…</source>
        <translation>&amp;Vigilar una carpeta…</translation>
    </message>
    <message>
        <source>Screen each film that appears in a folder, once it is completely written</source>
        <translation>Cribar cada radiografía que aparece en una carpeta, una vez escrita por completo</translation>
    </message>
</context>
<context>
    <name>dialogs</name>
    <message>
        <source>Open chest X-ray images</source>
        <extracomment>Qt&apos;s translate under a short name that pyside6-lupdate still reads (it needs the context literally).</extracomment>
        <translation>Abrir radiografías de tórax</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.dcm *.dicom);;All files (*)</source>
        <translation>Imágenes (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.dcm *.dicom);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Open a folder of chest X-ray images</source>
        <translation>Abrir una carpeta de radiografías de tórax</translation>
    </message>
    <message>
        <source>Watch a folder for new films</source>
        <translation>Vigilar una carpeta en busca de radiografías nuevas</translation>
    </message>
    <message>
        <source>Log file</source>
        <translation>Archivo de registro</translation>
    </message>
    <message>
        <source>Runtime log</source>
        <translation>Registro del motor de ejecución</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Resultados</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>Carpeta de datos</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;CXR Screening&lt;/b&gt; flags chest X-rays that need a clinician&apos;s review. It works offline; images never leave this computer.&lt;/p&gt;&lt;p&gt;A result supports and does not replace a clinician&apos;s reading.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;CXR Screening&lt;/b&gt; marca las radiografías de tórax que necesitan la revisión de un clínico. Funciona sin conexión; las imágenes nunca salen de este ordenador.&lt;/p&gt;&lt;p&gt;Un resultado apoya, y no sustituye, la lectura de un clínico.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About CXR Screening</source>
        <translation>Acerca de CXR Screening</translation>
    </message>
    <message>
        <source>Export DICOM results</source>
        <translation>Exportar resultados DICOM</translation>
    </message>
    <message>
        <source>There are no DICOM films to export: none of these results is a scored DICOM film. JPEG and PNG films have CSV and PDF results only.</source>
        <translation>No hay radiografías DICOM que exportar: ninguno de estos resultados es una radiografía DICOM puntuada. Las radiografías JPEG y PNG solo tienen resultados CSV y PDF.</translation>
    </message>
    <message>
        <source>Choose a folder outside {folders}: films are taken from there, and the heatmap images would be screened as films.</source>
        <translation>Elija una carpeta fuera de {folders}: las radiografías se toman de allí, y las imágenes del mapa de calor se cribarían como radiografías.</translation>
    </message>
</context>
<context>
    <name>languages</name>
    <message>
        <source>&amp;Language</source>
        <extracomment>One of `desktop.i18n.LANGUAGES`, or &quot;&quot; (`desktop.i18n.SYSTEM`) for the system&apos;s language.</extracomment>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>Takes effect when the app is next started</source>
        <translation>Surte efecto la próxima vez que se inicie la aplicación</translation>
    </message>
    <message>
        <source>System language ({language})</source>
        <translation>Idioma del sistema ({language})</translation>
    </message>
</context>
<context>
    <name>pdf_report</name>
    <message>
        <source>Chest X-ray screening report</source>
        <translation>Informe de cribado por radiografía de tórax</translation>
    </message>
    <message>
        <source>This result supports and does not replace a clinician&apos;s reading.</source>
        <translation>Este resultado apoya, y no sustituye, la lectura de un clínico.</translation>
    </message>
    <message>
        <source>page {number} of {total}</source>
        <translation>página {number} de {total}</translation>
    </message>
    <message>
        <source>automatic by population</source>
        <translation>automático por población</translation>
    </message>
    <message>
        <source>one model for every film</source>
        <translation>un solo modelo para todas las radiografías</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Archivos</translation>
    </message>
    <message>
        <source>Screened (ok)</source>
        <translation>Cribados (ok)</translation>
    </message>
    <message>
        <source>Not validated</source>
        <translation>No validado</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Rechazado</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Errores</translation>
    </message>
    <message>
        <source>Flagged: needs review</source>
        <translation>Marcados: a revisar</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelos</translation>
    </message>
    <message>
        <source>Runtime</source>
        <translation>Motor de ejecución</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Build file SHA-256</source>
        <translation>SHA-256 de la variante</translation>
    </message>
    <message>
        <source>Operating thresholds</source>
        <translation>Umbrales de decisión</translation>
    </message>
    <message>
        <source>Film</source>
        <translation>Radiografía</translation>
    </message>
    <message>
        <source>Prediction: {label}  ({confidence})</source>
        <translation>Predicción: {label}  ({confidence})</translation>
    </message>
    <message>
        <source>Model output, not validated for this film: {label}  ({confidence})</source>
        <translation>Salida del modelo, no validada para esta radiografía: {label}  ({confidence})</translation>
    </message>
    <message>
        <source>NEEDS REVIEW (flagged at the model&apos;s operating threshold)</source>
        <translation>A REVISAR (marcado en el umbral de decisión del modelo)</translation>
    </message>
    <message>
        <source>NEEDS REVIEW</source>
        <translation>A REVISAR</translation>
    </message>
    <message>
        <source>Not flagged</source>
        <translation>No marcado</translation>
    </message>
    <message>
        <source>Scored by: {model}</source>
        <translation>Puntuado por: {model}</translation>
    </message>
    <message>
        <source>Image quality: {score} of 100</source>
        <translation>Calidad de imagen: {score} de 100</translation>
    </message>
    <message>
        <source>Warning: {text}</source>
        <translation>Advertencia: {text}</translation>
    </message>
    <message>
        <source>Status: rejected</source>
        <translation>Estado: rechazado</translation>
    </message>
    <message>
        <source>Status: error</source>
        <translation>Estado: error</translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="vanished">Error</translation>
    </message>
    <message>
        <source>Reason: {reason}</source>
        <translation>Motivo: {reason}</translation>
    </message>
    <message>
        <source>Patient / study (included at the user&apos;s request)</source>
        <translation>Paciente / estudio (incluido a petición del usuario)</translation>
    </message>
</context>
<context>
    <name>reasons</name>
    <message>
        <source>The file is a link that points to nothing.</source>
        <extracomment>Why a file has no result, by its reason code: `cxrcore.image.DecodeError` reasons, the scan&apos;s (``missing``, ``unreadable-folder``), the DICOM receiver&apos;s and the pipeline&apos;s own.</extracomment>
        <translation>El archivo es un enlace que no apunta a nada.</translation>
    </message>
    <message>
        <source>The file cannot be opened: it may have been moved or deleted, or you may not have permission to read it.</source>
        <translation>No se puede abrir el archivo: puede que se haya movido o borrado, o que usted no tenga permiso para leerlo.</translation>
    </message>
    <message>
        <source>This is not an image file (a folder or a special file).</source>
        <translation>No es un archivo de imagen (es una carpeta o un archivo especial).</translation>
    </message>
    <message>
        <source>The file is empty.</source>
        <translation>El archivo está vacío.</translation>
    </message>
    <message>
        <source>The image is far too large to be a chest film.</source>
        <translation>La imagen es demasiado grande para ser una radiografía de tórax.</translation>
    </message>
    <message>
        <source>The image is too small to be a chest film.</source>
        <translation>La imagen es demasiado pequeña para ser una radiografía de tórax.</translation>
    </message>
    <message>
        <source>The file holds several images; give one film per file.</source>
        <translation>El archivo contiene varias imágenes; proporcione una radiografía por archivo.</translation>
    </message>
    <message>
        <source>The file is not an image this program can read.</source>
        <translation>El archivo no es una imagen que este programa pueda leer.</translation>
    </message>
    <message>
        <source>The file is damaged or incomplete.</source>
        <translation>El archivo está dañado o incompleto.</translation>
    </message>
    <message>
        <source>This installation cannot read DICOM files.</source>
        <translation>Esta instalación no puede leer archivos DICOM.</translation>
    </message>
    <message>
        <source>The DICOM file holds no image.</source>
        <translation>El archivo DICOM no contiene ninguna imagen.</translation>
    </message>
    <message>
        <source>The DICOM image is compressed in a format this installation cannot read.</source>
        <translation>La imagen DICOM está comprimida en un formato que esta instalación no puede leer.</translation>
    </message>
    <message>
        <source>The DICOM image is not a single gray film.</source>
        <translation>La imagen DICOM no es una única radiografía en escala de grises.</translation>
    </message>
    <message>
        <source>The DICOM object received holds no film.</source>
        <translation>El objeto DICOM recibido no contiene ninguna radiografía.</translation>
    </message>
    <message>
        <source>The file or folder does not exist.</source>
        <translation>El archivo o la carpeta no existe.</translation>
    </message>
    <message>
        <source>The folder cannot be read.</source>
        <translation>No se puede leer la carpeta.</translation>
    </message>
    <message>
        <source>There was not enough memory to open this file.</source>
        <translation>No había memoria suficiente para abrir este archivo.</translation>
    </message>
    <message>
        <source>The file could not be opened.</source>
        <translation>No se pudo abrir el archivo.</translation>
    </message>
    <message>
        <source>The model could not run on this film.</source>
        <translation>El modelo no pudo ejecutarse con esta radiografía.</translation>
    </message>
    <message>
        <source>This does not look like a frontal chest film.</source>
        <translation>Esto no parece una radiografía frontal de tórax.</translation>
    </message>
    <message>
        <source>The picture is far wider or taller than a chest film.</source>
        <extracomment>The gate&apos;s cheap and structural checks, by how their English reason starts (`cxrcore.safety.gate`).</extracomment>
        <translation>La imagen es mucho más ancha o más alta que una radiografía de tórax.</translation>
    </message>
    <message>
        <source>This looks like a colour photograph, not an X-ray film.</source>
        <translation>Esto parece una fotografía en color, no una radiografía.</translation>
    </message>
    <message>
        <source>The picture is almost blank.</source>
        <translation>La imagen está casi en blanco.</translation>
    </message>
    <message>
        <source>This looks like a drawing, a printed page or a graphic, not an X-ray film.</source>
        <translation>Esto parece un dibujo, una página impresa o un gráfico, no una radiografía.</translation>
    </message>
    <message>
        <source>This looks like a document or a screenshot, not an X-ray film.</source>
        <translation>Esto parece un documento o una captura de pantalla, no una radiografía.</translation>
    </message>
    <message>
        <source>The two lung fields of a frontal chest film are not seen side by side. Is it a side view or another part of the body?</source>
        <translation>Los dos campos pulmonares de una radiografía frontal de tórax no se ven uno al lado del otro. ¿Es una proyección lateral u otra parte del cuerpo?</translation>
    </message>
    <message>
        <source>This does not look like a frontal chest film. Is it an upright, front-view chest film?</source>
        <extracomment>The gate&apos;s models, by kind (their English reasons are `cxrcore.safety.gate.MODEL_REASONS`).</extracomment>
        <translation>Esto no parece una radiografía frontal de tórax. ¿Es una radiografía de tórax de frente, con el paciente de pie?</translation>
    </message>
    <message>
        <source>This is unlike the chest films the program knows. Is it an upright, front-view chest film?</source>
        <translation>Esto no se parece a las radiografías de tórax que conoce el programa. ¿Es una radiografía de tórax de frente, con el paciente de pie?</translation>
    </message>
    <message>
        <source>The film does not look like the patients this model was validated on.</source>
        <extracomment>Why the model that scored the film was not validated for it (one model asked for by name).</extracomment>
        <translation>La radiografía no corresponde a los pacientes con los que se validó este modelo.</translation>
    </message>
    <message>
        <source>The patient&apos;s stated age is outside the ages this model was validated for.</source>
        <translation>La edad indicada del paciente está fuera de las edades para las que se validó este modelo.</translation>
    </message>
    <message>
        <source>This model states no population it was validated for.</source>
        <translation>Este modelo no indica ninguna población para la que se haya validado.</translation>
    </message>
    <message>
        <source>The film does not look like the patients any installed model was validated on, so it was not scored.</source>
        <extracomment>Why no installed model scored the film (automatic routing found none validated for it).</extracomment>
        <translation>La radiografía no corresponde a los pacientes con los que se validó ninguno de los modelos instalados, por lo que no se puntuó.</translation>
    </message>
    <message>
        <source>No installed model was validated for the patient&apos;s stated age, so the film was not scored.</source>
        <translation>Ningún modelo instalado se validó para la edad indicada del paciente, por lo que la radiografía no se puntuó.</translation>
    </message>
    <message>
        <source>No installed model states the population it was validated for, so the film was not scored.</source>
        <translation>Ningún modelo instalado indica la población para la que se validó, por lo que la radiografía no se puntuó.</translation>
    </message>
    <message>
        <source>Image quality is poor: the film may be blurred, noisy, heavily compressed or badly exposed. The result is less reliable; retake or rescan the film if you can.</source>
        <extracomment>Quality warnings (`cxrcore.safety.quality.QualityCheck.warn`), by how they start.</extracomment>
        <translation>La calidad de imagen es mala: la radiografía puede estar borrosa, con ruido, muy comprimida o mal expuesta. El resultado es menos fiable; repita o vuelva a digitalizar la radiografía si puede.</translation>
    </message>
    <message>
        <source>Details: {details}</source>
        <translation>Detalles: {details}</translation>
    </message>
</context>
<context>
    <name>safety</name>
    <message>
        <source>Not validated for this film — read it yourself</source>
        <translation>No validado para esta radiografía — léala usted mismo</translation>
    </message>
</context>
</TS>
